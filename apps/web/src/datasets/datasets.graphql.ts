import { operation } from "../graphql/client";
import { DEFECT_CLASS_FIELDS, type ClassInput, type DefectClass } from "../classes/classes.graphql";

export interface DatasetSummary {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  imageCount: number;
  classes: Pick<DefectClass, "id" | "name" | "title" | "color">[];
}

export interface Dataset extends DatasetSummary {
  countPendingSynthetic: boolean;
  countUnreviewedPredicted: boolean;
  syntheticShareCap: number;
  classes: DefectClass[];
}

export const DATASETS = operation<
  {
    datasets: {
      edges: { cursor: string; node: DatasetSummary }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  },
  { first?: number; after?: string | null }
>(`
  query Datasets($first: Int, $after: String) {
    datasets(first: $first, after: $after) {
      edges { cursor node { id name description createdAt updatedAt imageCount classes { id name title color } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const DATASET = operation<{ dataset: Dataset | null }, { id: string }>(`
  query Dataset($id: ID!) {
    dataset(id: $id) {
      id name description createdAt updatedAt imageCount countPendingSynthetic countUnreviewedPredicted
      syntheticShareCap
      classes { ${DEFECT_CLASS_FIELDS} }
    }
  }
`);

export const CREATE_DATASET = operation<
  { createDataset: { id: string; name: string } },
  { input: { name: string; description?: string; classes?: (ClassInput & { name: string })[] } }
>(`
  mutation CreateDataset($input: CreateDatasetInput!) {
    createDataset(input: $input) { id name }
  }
`);

/** The balance policies a curator sets on the overview. */
export const UPDATE_DATASET_POLICY = operation<
  {
    updateDataset: {
      id: string;
      countPendingSynthetic: boolean;
      countUnreviewedPredicted: boolean;
    };
  },
  { id: string; input: { countPendingSynthetic?: boolean; countUnreviewedPredicted?: boolean } }
>(`
  mutation UpdateDatasetPolicy($id: ID!, $input: UpdateDatasetInput!) {
    updateDataset(id: $id, input: $input) { id countPendingSynthetic countUnreviewedPredicted }
  }
`);
