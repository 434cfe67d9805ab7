"use client";

import type { FillMethod, FillOutput, HostChoice } from "./fills.graphql";
import { SelectField } from "../ui/Field";

export interface FillOptionValues {
  method: FillMethod;
  output: FillOutput;
  hosts: HostChoice;
}

export const DEFAULT_FILL_OPTIONS: FillOptionValues = {
  method: "MODEL",
  output: "COMPOSITE",
  hosts: "CLEAN_ONLY",
};

/** What a request sends for these options: copy-paste makes composites only and names no model. */
export function fillOptionInput(options: FillOptionValues, modelId: string) {
  return options.method === "COPY_PASTE"
    ? { method: options.method, output: "COMPOSITE" as const, hosts: options.hosts }
    : { ...options, modelVersionId: modelId || null };
}

/** The fill's method, output and hosts. */
export function FillOptionFields({
  value,
  onChange,
}: {
  value: FillOptionValues;
  onChange: (value: FillOptionValues) => void;
}) {
  return (
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
  );
}
