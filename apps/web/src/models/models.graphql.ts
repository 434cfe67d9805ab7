import { operation } from "../graphql/client";

export type ModelStatus = "ACTIVE" | "ARCHIVED";

/** A registered MVSA-GAN generator (and its critic), as the registry page shows it. */
export interface ModelVersion {
  id: string;
  name: string;
  version: string;
  status: ModelStatus;
  imageSize: number;
  shots: number;
  fusedPositions: number;
  gridSize: number;
  classNames: string[];
  generatorSha256: string;
  generatorBytes: number;
  criticSha256: string | null;
  hasCritic: boolean;
  metrics: unknown;
  createdAt: string;
  requestCount: number;
}

const MODEL_FIELDS = `
  id name version status imageSize shots fusedPositions gridSize classNames
  generatorSha256 generatorBytes criticSha256 hasCritic metrics createdAt requestCount
`;

export const MODEL_VERSIONS = operation<{ modelVersions: ModelVersion[] }>(`
  query ModelVersions { modelVersions { ${MODEL_FIELDS} } }
`);

/** What the fill dialog's model picker needs. */
export interface ModelChoice {
  id: string;
  name: string;
  version: string;
  status: ModelStatus;
  shots: number;
  /** Whether the model has a critic, which a fill needs to keep the best of several candidates. */
  hasCritic: boolean;
  /** The model card's measured numbers (free-form JSON), e.g. `detectorUtility`. */
  metrics: unknown;
}

export const MODEL_CHOICES = operation<{ modelVersions: ModelChoice[] }>(`
  query ModelChoices { modelVersions { id name version status shots hasCritic metrics } }
`);

export const ACTIVATE_MODEL = operation<
  { activateModel: { id: string; status: ModelStatus } },
  { id: string }
>(`
  mutation ActivateModel($id: ID!) { activateModel(id: $id) { id status } }
`);

export interface ModelUpload {
  generatorKey: string;
  generatorUrl: string;
  criticKey: string | null;
  criticUrl: string | null;
  headers: Record<string, string> | null;
  expiresAt: string;
}

export const REQUEST_MODEL_UPLOAD = operation<
  { requestModelUpload: ModelUpload },
  { generatorBytes: number; criticBytes: number | null }
>(`
  mutation RequestModelUpload($generatorBytes: Int!, $criticBytes: Int) {
    requestModelUpload(generatorBytes: $generatorBytes, criticBytes: $criticBytes) {
      generatorKey generatorUrl criticKey criticUrl headers expiresAt
    }
  }
`);

export interface RegisterModelInput {
  name: string;
  version: string;
  generatorKey: string;
  criticKey?: string | null;
  generatorSha256?: string | null;
  metrics?: unknown;
  activate?: boolean;
}

export const REGISTER_MODEL = operation<
  { registerModel: ModelVersion },
  { input: RegisterModelInput }
>(`
  mutation RegisterModel($input: RegisterModelInput!) { registerModel(input: $input) { ${MODEL_FIELDS} } }
`);
