import type { ApiClient } from "../api-client.ts";

const BALANCE_QUERY = /* GraphQL */ `
  query CliBalance($id: ID, $name: String) {
    dataset(id: $id, name: $name) {
      id
      name
      balance {
        unit
        total
        imbalanceRatio
        normalizedEntropy
        classes {
          defectClass {
            name
          }
          counted
          share
          images
          boxes
          real
          syntheticAccepted
          syntheticPending
        }
      }
    }
  }
`;

const DATASET_NAMES = /* GraphQL */ `
  query CliDatasetNames($after: String) {
    datasets(first: 200, after: $after) {
      edges {
        node {
          name
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

type ClassRow = {
  defectClass: { name: string };
  counted: number;
  share: number;
  images: number;
  boxes: number;
  real: number;
  syntheticAccepted: number;
  syntheticPending: number;
};

export type DatasetBalance = {
  id: string;
  name: string;
  balance: {
    unit: string;
    total: number;
    imbalanceRatio: number | null;
    normalizedEntropy: number | null;
    classes: ClassRow[];
  };
};

export async function fetchBalances(api: ApiClient, name?: string): Promise<DatasetBalance[]> {
  let names: string[];
  if (name) names = [name];
  else {
    names = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        datasets: {
          edges: { node: { name: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } = await api.request(DATASET_NAMES, { after });
      names.push(...page.datasets.edges.map((e) => e.node.name));
      if (!page.datasets.pageInfo.hasNextPage) break;
      after = page.datasets.pageInfo.endCursor;
    }
  }
  const result: DatasetBalance[] = [];
  for (const datasetName of names) {
    const data = await api.request<{ dataset: DatasetBalance | null }>(BALANCE_QUERY, {
      name: datasetName,
    });
    if (!data.dataset) throw new Error(`no dataset named "${datasetName}"`);
    result.push(data.dataset);
  }
  return result;
}

const fmt = (n: number | null, digits = 2) => (n === null ? "—" : n.toFixed(digits));

export function formatBalance(datasets: DatasetBalance[]): string {
  if (datasets.length === 0) return "No datasets yet.";
  const out: string[] = [];
  for (const { name, balance } of datasets) {
    out.push(
      `${name}: ${balance.total} ${balance.unit.toLowerCase()} counted, imbalance ratio ${fmt(balance.imbalanceRatio)}, normalised entropy ${fmt(balance.normalizedEntropy, 3)}`,
    );
    const rows = [...balance.classes].sort((a, b) => b.counted - a.counted);
    const width = Math.max(5, ...rows.map((r) => r.defectClass.name.length));
    out.push(
      `  ${"class".padEnd(width)}  ${"counted".padStart(8)}  ${"share".padStart(6)}  ${"real".padStart(6)}  ${"synth+".padStart(6)}  ${"pending".padStart(7)}  ${"boxes".padStart(6)}`,
    );
    const max = Math.max(1, ...rows.map((r) => r.counted));
    for (const r of rows) {
      const bar = "█".repeat(Math.round((r.counted / max) * 24));
      out.push(
        `  ${r.defectClass.name.padEnd(width)}  ${String(r.counted).padStart(8)}  ${(r.share * 100).toFixed(1).padStart(5)}%  ${String(r.real).padStart(6)}  ${String(r.syntheticAccepted).padStart(6)}  ${String(r.syntheticPending).padStart(7)}  ${String(r.boxes).padStart(6)}  ${bar}`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}
