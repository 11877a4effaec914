export declare const TLS_DIR_ENV: "AUDITTRAIL_TEST_TLS_DIR";
export declare function makeTestPki(): { caPem: string; certPem: string; keyPem: string };
export declare function trustTestCa(): void;
