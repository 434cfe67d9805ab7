"use client";

import type { FillMethod, FillOutput, HostChoice } from "./fills.graphql";
import { SelectField } from "../ui/Field";
import { formatAp, type UtilityEvidence } from "./utilityEvidence";
import { BEST_OF_CHOICES, bestOfInput } from "./fillForm";

export interface FillOptionValues {
  method: FillMethod;
  output: FillOutput;
  hosts: HostChoice;
  /** Candidates per image the critic chooses from (1: no selection). */
  bestOf: number;
}

export const DEFAULT_FILL_OPTIONS: FillOptionValues = {
  method: "MODEL",
  output: "COMPOSITE",
  hosts: "CLEAN_ONLY",
  bestOf: 1,
};

/**
 * What a request sends for these options: copy-paste makes composites only and names no model;
 * a model fill keeps the best of several candidates only when its model has a critic.
 */
export function fillOptionInput(options: FillOptionValues, modelId: string, hasCritic = false) {
  const { method, output, hosts, bestOf } = options;
  return method === "COPY_PASTE"
    ? { method, output: "COMPOSITE" as const, hosts }
    : {
        method,
        output,
        hosts,
        modelVersionId: modelId || null,
        ...bestOfInput(method, hasCritic, bestOf),
      };
}

/** "Keep the best of": for a model with a critic, how many candidates each image is chosen from. */
export function BestOfField({
  value,
  onChange,
}: {
  value: number;
  onChange: (value: number) => void;
}) {
  return (
    <SelectField<string>
      label="Keep the best of"
      value={String(value)}
      onChange={(choice) => onChange(Number(choice))}
      options={BEST_OF_CHOICES.map((n) => ({
        value: String(n),
        label: n === 1 ? "1 (no selection)" : `${n} candidates`,
      }))}
      hint="Generates N candidates per image and keeps the one the critic scores highest; N times slower."
      selectTestId="fill-dialog-best-of"
    />
  );
}

/** The fill's method, output and hosts, with what the benchmark measured for the model's fills. */
export function FillOptionFields({
  value,
  onChange,
  evidence = null,
}: {
  value: FillOptionValues;
  onChange: (value: FillOptionValues) => void;
  evidence?: UtilityEvidence | null;
}) {
  return (
    <>
      <div className="form-row">
        <SelectField<FillMethod>
          label="Method"
          value={value.method}
          onChange={(method) =>
            onChange({
              ...value,
              method,
              output: method === "COPY_PASTE" ? "COMPOSITE" : value.output,
            })
          }
          options={[
            { value: "MODEL", label: "Generator model" },
            { value: "COPY_PASTE", label: "Copy-paste of real instances" },
          ]}
          selectTestId="fill-dialog-method"
        />
        <SelectField<FillOutput>
          label="Output"
          value={value.output}
          onChange={(output) => onChange({ ...value, output })}
          options={[
            { value: "COMPOSITE", label: "Full-size composites" },
            ...(value.method === "MODEL"
              ? [{ value: "CROP" as const, label: "Crops (classification)" }]
              : []),
          ]}
          selectTestId="fill-dialog-output"
        />
        {value.output === "COMPOSITE" && (
          <SelectField<HostChoice>
            label="Hosts"
            value={value.hosts}
            onChange={(hosts) => onChange({ ...value, hosts })}
            options={[
              { value: "CLEAN_ONLY", label: "Clean train images (else any)" },
              { value: "ANY", label: "Any train image" },
            ]}
            selectTestId="fill-dialog-hosts"
          />
        )}
      </div>
      {evidence && <MethodEvidence evidence={evidence} />}
    </>
  );
}

const VERDICT: Record<UtilityEvidence["better"], string> = {
  MODEL: "The model's composites beat copy-paste beyond the spread.",
  COPY_PASTE: "The model's composites do worse than copy-paste, so copy-paste is the default.",
  UNDECIDED:
    "The model's composites do not beat copy-paste beyond the spread, so copy-paste is the default.",
};

/** The model card's detector-utility numbers, beside the method choice they should decide. */
function MethodEvidence({ evidence }: { evidence: UtilityEvidence }) {
  const rows: [string, UtilityEvidence["model"]][] = [
    ["real images only", evidence.realOnly],
    ["copy-paste composites", evidence.copyPaste],
    ["this model's composites", evidence.model],
  ];
  return (
    <div
      className="hint"
      data-testid="fill-method-evidence"
      data-better={evidence.better}
      data-suggested={evidence.suggested}
    >
      <p>
        Measured on the detector-utility benchmark: rare-class AP50 of a detector trained with each
        method ({evidence.rareClass}
        {evidence.rareTrainBoxes !== null ? `, ${evidence.rareTrainBoxes} real boxes` : ""}), scored
        on held-out real scenes.
      </p>
      <ul>
        {rows.map(([label, ap]) =>
          ap ? (
            <li key={label}>
              {label}: {formatAp(ap)}
            </li>
          ) : null,
        )}
      </ul>
      {evidence.copyPaste && <p data-testid="fill-method-verdict">{VERDICT[evidence.better]}</p>}
    </div>
  );
}
