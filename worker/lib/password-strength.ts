/**
 * What a password must not be, beyond its length: one of the passwords people pick most (also
 * with digits or punctuation around it, spaces in it, or letters swapped for look-alike digits and
 * symbols), an easy pattern (a run along the alphabet, the digits or a keyboard row or column, a
 * repeated chunk, a handful of distinct characters, mostly spaces), or the account's own email or
 * organization name with little else. Shared by every place a password is set; imported by the web
 * app's types too, so it stays free of Worker APIs.
 */

export const MIN_PASSWORD_LENGTH = 10;

const ADVICE = "use a longer phrase of unrelated words";

export const PASSWORD_PROBLEMS = {
  common: `This password is too common — ${ADVICE}`,
  pattern: `This password is an easy pattern (a sequence, a keyboard row or a repeat) — ${ADVICE}`,
  spaces: `This password is mostly spaces — ${ADVICE}`,
  personal: `This password is mostly your email or organization name — ${ADVICE}`,
} as const;

/** Lowercased, as they appear at the top of breached-password lists (bases: digits come off). */
const COMMON = new Set(
  `
  123456 1234567 12345678 123456789 1234567890 0123456789 0987654321 987654321 111111 1111111111
  000000 0000000000 123123 123321 654321 112233 121212 123654 159753 147258 147258369 159357
  789456 456789 666666 696969 777777 888888 999999 11223344 12341234 1212312121 102030 5201314
  password passwort passwd pass passpass password1 mypassword newpassword yourpassword nopassword
  motdepasse contrasena senha haslo salasana wachtwoord lozinka heslo jelszo parola parool gfhjkm
  qwerty qwert qwer qwertz azerty qwertyui qwertyuiop asdf asdfgh asdfghjkl zxcvbn zxcvbnm
  qazwsx qazwsxedc 1qaz2wsx 1qaz2wsx3edc zaq12wsx zaq1xsw2 1qazxsw2 1q2w3e 1q2w3e4r 1q2w3e4r5t
  1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 qwe123 123qwe qweasd qweasdzxc asdasd asdfasdf abc123 abcd1234
  a1b2c3 a1b2c3d4 abcdef abcdefg abcdefgh abcdefghij aaaaaa aaaaaaaaaa
  iloveyou iloveu loveme lovely loveyou love lover trustno1 letmein welcome hello helloworld hi
  admin administrator root toor login user guest test testing tester demo temp temporary default
  changeme secret topsecret mysecret access master passw0rd whatever nothing something anything
  dragon monkey shadow sunshine princess football baseball basketball soccer hockey golf golfer
  superman batman spiderman ironman starwars pokemon pikachu naruto minecraft fortnite roblox
  master michael jennifer jordan hunter ranger buster harley tigger charlie robert thomas daniel
  george computer michelle jessica pepper freedom nicole maggie ginger hannah amanda summer ashley
  joshua chelsea matthew yankees dallas austin thunder taylor matrix william corvette martin
  heather merlin diamond hammer silver anthony justin bailey patrick internet scooter orange
  cookie richard samantha bigdog guitar jackson mickey chicken sparky snoopy maverick phoenix
  camaro peanut morgan mercedes cowboy killer lakers tiger tigers lion eagle eagles falcon wolf
  angel angels flower flowers butterfly purple blue red green yellow black white rainbow
  babygirl baby babe honey sweety sweetheart darling kitty kitten puppy doggy cat dog bear
  jesus christ god blessed faith hope grace heaven
  blink182 nirvana metallica slipknot eminem beatles
  liverpool arsenal manchester barcelona realmadrid juventus milan bayern celtic rangers
  monday tuesday wednesday thursday friday saturday sunday
  january february march april may june july august september october november december
  spring autumn winter
  qwerty123 password123 welcome123 admin123 letmein123 iloveyou123 abc12345
  hallo schatz bonjour soleil tequiero teamo amor ciao ciaociao
  jordan23 michael23 lebron kobe messi ronaldo neymar
  cheese banana apple orange lemon coffee chocolate pizza
  money dollar rich winner lucky lucky7 success business company office work
  family friends forever always together happy smile
  mustang ferrari porsche bmw honda toyota nissan yamaha harley
  charlie1 buster1 jordan1 hunter1 shadow1
  cloudflare audittrail audit workers
  correcthorsebatterystaple
  `
    .trim()
    .split(/\s+/),
);

/** Look-alike characters people swap in for letters (`p@ssw0rd`); `1` is read both as i and l. */
const LEET: Record<string, string> = {
  "4": "a",
  "@": "a",
  "8": "b",
  "(": "c",
  "3": "e",
  "6": "g",
  "9": "g",
  "1": "i",
  "!": "i",
  "|": "l",
  "0": "o",
  "5": "s",
  $: "s",
  "7": "t",
  "+": "t",
};

const deLeet = (s: string, one: string) => [...s].map((ch) => (ch === "1" ? one : (LEET[ch] ?? ch))).join("");

/** Lowercase, compatibility-folded, without accents or whitespace. */
function compact(password: string): string {
  return password.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/gu, "");
}

const EDGES = /^[\p{N}\p{P}\p{S}]+|[\p{N}\p{P}\p{S}]+$/gu;

function isCommon(folded: string): boolean {
  const forms = [folded, folded.replace(EDGES, "")].flatMap((f) => [f, deLeet(f, "i"), deLeet(f, "l")]);
  return forms.some((f) => COMMON.has(f) || COMMON.has(f.replace(EDGES, "")));
}

/** Sequences people walk along; a pair of neighbours in either direction continues a walk. */
const WALKS = [
  "abcdefghijklmnopqrstuvwxyzabc",
  "01234567890",
  "qwertyuiop",
  "asdfghjkl",
  "zxcvbnm",
  "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
  "qazwsxedcrfvtgbyhnujmikolp",
  "azertyuiop",
  "qwertzuiop",
];
const NEIGHBOURS = new Set(
  WALKS.flatMap((w) => [...w.slice(1)].flatMap((ch, i) => [`${w[i]}${ch}`, `${ch}${w[i]}`])),
);

/** Split into runs of neighbours, the runs average three or more characters. */
function isWalk(s: string): boolean {
  let runs = 1;
  for (let i = 1; i < s.length; i++) if (!NEIGHBOURS.has(`${s[i - 1]}${s[i]}`)) runs += 1;
  return runs * 3 <= s.length;
}

/** A chunk shorter than the minimum length, repeated (the last repeat may be cut short). */
function isShortRepeat(s: string): boolean {
  for (let p = 1; p <= s.length / 2 && p < MIN_PASSWORD_LENGTH; p++) {
    let repeats = true;
    for (let i = p; i < s.length && repeats; i++) repeats = s[i] === s[i - p];
    if (repeats) return true;
  }
  return false;
}

function isPattern(folded: string): boolean {
  return new Set(folded).size < 4 || isShortRepeat(folded) || isWalk(folded);
}

/** Why the password is too easy to guess, or null. Length is the schema's to check. */
export function passwordProblem(password: string): string | null {
  const spaces = password.match(/\s/gu)?.length ?? 0;
  if (spaces * 2 > password.length) return PASSWORD_PROBLEMS.spaces;
  const folded = compact(password);
  if (isCommon(folded)) return PASSWORD_PROBLEMS.common;
  if (isPattern(folded)) return PASSWORD_PROBLEMS.pattern;
  return null;
}

const alnum = (s: string) => compact(s).replace(/[^\p{L}\p{N}]/gu, "");

/**
 * When the password contains one of `personal` (the email's local part, the organization's
 * name), what is left besides it must make a password of its own length.
 */
export function personalPasswordProblem(password: string, personal: string[]): string | null {
  let rest = alnum(password);
  for (const word of personal.map(alnum)) if (word.length >= 3) rest = rest.replaceAll(word, "");
  return rest.length < alnum(password).length && rest.length < MIN_PASSWORD_LENGTH
    ? PASSWORD_PROBLEMS.personal
    : null;
}

/** The email's part before the @: people build passwords on it more than on the domain. */
export const emailName = (email: string) => email.split("@")[0] ?? email;
