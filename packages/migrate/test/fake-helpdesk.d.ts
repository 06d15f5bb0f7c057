import type { Helpdesk, Provider, UnifiedCustomerInput } from "@cskit/helpdesk";

export function random(seed: number): () => number;
export function customers(
  count: number,
  options?: { seed?: number; prefix?: string },
): UnifiedCustomerInput[];

export interface FakeFaults {
  rate503?: number;
  rate429?: number;
  retryAfterMs?: number;
  lost?: number;
  seed?: number;
  refuse?: (input: UnifiedCustomerInput) => boolean;
}

export interface FakeStats {
  requests: number;
  creates: number;
  updates: number;
  deletes: number;
  searches: number;
  lists: number;
  faults: number;
}

export interface FakeHelpdesk extends Helpdesk {
  stats: FakeStats;
  records(): { id: string; content: UnifiedCustomerInput }[];
  edit(id: string, change: Partial<UnifiedCustomerInput>): void;
  add(content: UnifiedCustomerInput): string;
  remove(id: string): void;
}

export function createFakeHelpdesk(options: {
  provider: Provider;
  records?: UnifiedCustomerInput[];
  file?: string;
  pageSize?: number;
  idempotentCreate?: boolean;
  dropFields?: string[];
  faults?: FakeFaults;
  killAfter?: { requests: number; when: "before" | "after" };
}): FakeHelpdesk;
