/**
 * What a way of storing must provide to run the CRM conformance suite: fresh CRMs on that
 * storage, optionally a second CRM on the same storage, and what the mode cannot do.
 *
 * @module
 */
import type { Actor, Clock, Crm, CustomFieldsConfig, IndexSpec } from '../../../src/index';

/** Options the suite passes when it asks for a CRM. */
export interface CrmFixtureOptions<C extends CustomFieldsConfig = CustomFieldsConfig> {
  /** Who acts through the CRM. @defaultValue an admin */
  actor?: Actor;
  /** Custom field definitions (in remote mode: the server's). */
  customFields?: C;
  /** The clock, shared with whatever server runs the CRM. @defaultValue `Date.now` */
  clock?: Clock;
  /** Built-in fields viewers and contributors cannot read (in remote mode: the server's). */
  sensitiveFields?: Record<string, string[]>;
  /** Indexes of the app's own, per collection (in remote mode: the server's). */
  indexes?: Readonly<Record<string, readonly IndexSpec[]>>;
}

/** A way of storing, as the suite sees it. */
export interface CrmFixture {
  /** Shown in the suite's title, e.g. `memory`, `indexeddb`, `remote (http)`. */
  name: string;
  /** A fresh, empty CRM. The suite closes it after the test. */
  makeCrm<const C extends CustomFieldsConfig = Record<never, never>>(options?: CrmFixtureOptions<C>): Promise<Crm<C>>;
  /**
   * A second CRM on the SAME storage as the last one `makeCrm` made (another tab, another
   * process, another server replica). Tests of watching writes made elsewhere and of the
   * workers' lease are skipped when absent.
   */
  makeSibling?<const C extends CustomFieldsConfig = Record<never, never>>(options?: CrmFixtureOptions<C>): Promise<Crm<C>>;
  /** What the mode cannot do. Everything defaults to `true`. */
  capabilities?: {
    /** `crm.as(actor)` works (remote: it is a typed error; the server authenticates). */
    as?: boolean;
    /** `crm.startWorkers()` runs here (remote: the server is the authority). */
    workers?: boolean;
  };
}
