// Types of slapd.mjs for the tests.

/** The OS's OpenLDAP server. */
export declare const SLAPD: string;
/** The administrator of the organisation trees, for ldapadd. */
export declare const ADMIN_DN: string;
export declare const ADMIN_PASSWORD: string;
/** The account the providers bind as (it is in the fixture). */
export declare const MTA_DN: string;
export declare const MTA_PASSWORD: string;

/** A port nobody listens on right now. */
export declare function freePort(): Promise<number>;

/** A slapd of the caller's own, on a free loopback port, loaded from the fixtures in fixtures/ldap/. */
export declare class Slapd {
  readonly url: string;
  private constructor();
  /** Starts a fresh directory; the caller stops it with `remove`. */
  static start(): Promise<Slapd>;
  /** Adds entries with the OS's ldapadd, as an administrator would. */
  ldapadd(ldif: string): void;
  /** Freezes the server: connections are accepted by the kernel, nothing is answered. */
  pause(): void;
  /** Lets a paused server run again. */
  resume(): void;
  /** Stops the server and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts the stopped server again on the same port and database. */
  restart(): Promise<void>;
  /** Stops the server and deletes its files. */
  remove(): Promise<void>;
}

/** A server that accepts connections and never answers. */
export declare function silentServer(): Promise<{ url: string; close: () => Promise<void> }>;
