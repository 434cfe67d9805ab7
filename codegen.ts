// The API's resolver types, generated from its SDL (`npm run codegen`): the schema stays the
// contract and the resolver maps are checked against it. Each GraphQL object type whose resolvers
// receive a database row or a service's value names that type as its mapper, so a field resolver's
// parent and a root field's result are what the code really passes around.
import path from "node:path";
import type { CodegenConfig } from "@graphql-codegen/cli";
import { sdlFiles } from "./apps/api/src/sdl.ts";

export const API_TYPES_FILE = "apps/api/src/generated/graphql.ts";

const db = (model: string) => `@gridfill/db#${model}`;
const core = (file: string, name: string) => `@gridfill/core/${file}.ts#${name}`;

const config: CodegenConfig = {
  overwrite: true,
  // The SDL files in the order the API builds its schema from them.
  schema: sdlFiles(),
  generates: {
    [path.join(import.meta.dirname, API_TYPES_FILE)]: {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        useTypeImports: true,
        useIndexSignature: true,
        enumsAsTypes: true,
        // GraphQL fills in an argument's or input field's default before a resolver runs.
        avoidOptionals: { defaultValue: true },
        contextType: "../context.ts#ApiContext",
        mapperTypeSuffix: "Model",
        scalars: {
          ID: "string",
          // Arguments arrive parsed by the scalar (apps/api/src/scalars.ts); results may be either.
          DateTime: { input: "Date", output: "Date | string" },
          JSON: "unknown",
        },
        mappers: {
          // Public columns only: the loaders never read a password hash.
          User: core("db", "PublicUser"),
          ApiToken: db("ApiToken"),
          AuditEvent: db("AuditEvent"),
          Dataset: db("Dataset"),
          DefectClass: db("DefectClass"),
          Image: db("Image"),
          Annotation: db("Annotation"),
          DatasetVersion: db("DatasetVersion"),
          VersionClassCount: db("DatasetVersionClassCount"),
          ImportJob: db("ImportJob"),
          ExportJob: db("ExportJob"),
          PowerLine: db("PowerLine"),
          Tower: db("Tower"),
          Device: db("Device"),
          Metric: db("Metric"),
          DeadLetter: db("DeadLetter"),
          ModelVersion: db("ModelVersion"),
          FillRequest: db("FillRequest"),
          Lineage: db("Lineage"),
          PredictionRun: db("PredictionRun"),
          ImageConnection: core("images/service", "ImagePage"),
          Prediction: core("predictions/service", "PredictionRow"),
          Evaluation: core("predictions/service", "RunEvaluation"),
          LabelErrorCandidate: core("predictions/service", "RunCandidate"),
          ClassComparison: core("predictions/service", "ClassComparison"),
          ClassEvaluation: "../predictions/resolvers.ts#ClassEvaluationRow",
          ImageContext: core("iot/image-context", "ImageContextResult"),
          ContextSeries: core("iot/image-context", "ContextSeries"),
          SensorBandClassCount: "../iot/sensor-bands-resolvers.ts#SensorBandClassRow",
        },
      },
    },
  },
  hooks: { afterAllFileWrite: ["prettier --write"] },
};

export default config;
