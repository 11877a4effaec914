/** A set of characters: exact for ASCII, one flag for everything above it. Used by regex-safety.ts. */
export class CharSet {
  private constructor(
    private readonly bits: Uint32Array,
    private other: boolean,
  ) {}

  static empty(): CharSet {
    return new CharSet(new Uint32Array(4), false);
  }

  static all(): CharSet {
    return new CharSet(Uint32Array.of(~0, ~0, ~0, ~0), true);
  }

  static of(chars: string): CharSet {
    const set = CharSet.empty();
    for (const ch of chars) set.addRange(ch.codePointAt(0) ?? 0, ch.codePointAt(0) ?? 0);
    return set;
  }

  /** \d, \w, \s and their negations. */
  static escapeClass(letter: string): CharSet | null {
    const lower = letter.toLowerCase();
    let set: CharSet;
    if (lower === "d") set = CharSet.range(48, 57);
    else if (lower === "w")
      set = CharSet.range(48, 57).union(CharSet.range(65, 90), CharSet.range(97, 122), CharSet.of("_"));
    else if (lower === "s") set = CharSet.of(" \t\n\r\v\f").withOther();
    else return null;
    return letter === lower ? set : set.negate();
  }

  static range(from: number, to: number): CharSet {
    const set = CharSet.empty();
    set.addRange(from, to);
    return set;
  }

  private addRange(from: number, to: number): void {
    for (let c = from; c <= Math.min(to, 127); c++) this.bits[c >>> 5] |= 1 << (c & 31);
    if (to > 127) this.other = true;
  }

  private withOther(): CharSet {
    return new CharSet(this.bits, true);
  }

  union(...others: CharSet[]): CharSet {
    const bits = Uint32Array.from(this.bits);
    let other = this.other;
    for (const o of others) {
      for (let i = 0; i < 4; i++) bits[i] |= o.bits[i];
      other ||= o.other;
    }
    return new CharSet(bits, other);
  }

  negate(): CharSet {
    return new CharSet(
      this.bits.map((b) => ~b >>> 0),
      true,
    );
  }

  intersects(o: CharSet): boolean {
    if (this.other && o.other) return true;
    for (let i = 0; i < 4; i++) if ((this.bits[i] & o.bits[i]) !== 0) return true;
    return false;
  }
}
