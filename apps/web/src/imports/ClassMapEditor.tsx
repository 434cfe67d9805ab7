"use client";

import { useState } from "react";
import {
  classMapFromRows,
  emptyRow,
  rowsFromJson,
  rowsToJson,
  type ClassMap,
  type ClassMapRow,
  type Parsed,
} from "./classMap";

interface ClassMapEditorProps {
  /** Called with the map after every edit (null: no renames), or with the problem to show. */
  onChange: (result: Parsed<ClassMap | null>) => void;
}

const ROW_STYLE = {
  display: "grid",
  gridTemplateColumns: "1fr auto 1fr auto auto",
  gap: 8,
  alignItems: "center",
} as const;

/** Renames classes on import: rows of "from → to" (or dropped), or the same map pasted as JSON. */
export function ClassMapEditor({ onChange }: ClassMapEditorProps) {
  const [mode, setMode] = useState<"rows" | "json">("rows");
  const [rows, setRows] = useState<ClassMapRow[]>([emptyRow()]);
  const [json, setJson] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  function editRows(next: ClassMapRow[]) {
    setRows(next);
    const result = classMapFromRows(next);
    setProblem(result.ok ? null : result.error);
    onChange(result);
  }

  function editJson(text: string) {
    setJson(text);
    const parsed = rowsFromJson(text);
    if (!parsed.ok) {
      setProblem(parsed.error);
      onChange(parsed);
      return;
    }
    setProblem(null);
    onChange(classMapFromRows(parsed.value));
  }

  function switchTo(next: "rows" | "json") {
    if (next === mode) return;
    if (next === "json") {
      setJson(rowsToJson(rows));
      setMode("json");
      return;
    }
    // Back to rows only from JSON that parses; otherwise the problem stays on screen.
    const parsed = rowsFromJson(json);
    if (!parsed.ok) return;
    editRows(parsed.value.length ? parsed.value : [emptyRow()]);
    setMode("rows");
  }

  const update = (index: number, change: Partial<ClassMapRow>) =>
    editRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <fieldset className="field" data-testid="import-class-map">
      <legend>Class map</legend>
      <p className="muted" style={{ margin: "0 0 6px" }}>
        Rename classes of the archive (or drop their boxes); classes not listed keep their names and
        are created when new.{" "}
        <button
          type="button"
          className="link-button"
          onClick={() => switchTo(mode === "rows" ? "json" : "rows")}
          data-testid="import-class-map-mode"
        >
          {mode === "rows" ? "Paste JSON instead" : "Edit as rows"}
        </button>
      </p>
      {mode === "rows" ? (
        <div style={{ display: "flex", flexDirection: "column", gap: 6 }}>
          {rows.map((row, index) => (
            <div key={index} style={ROW_STYLE} data-testid="import-class-map-row">
              <input
                value={row.from}
                placeholder="Class in the archive"
                aria-label={`Row ${index + 1}: class in the archive`}
                onChange={(event) => update(index, { from: event.target.value })}
                data-testid="import-class-map-from"
              />
              <span aria-hidden="true">→</span>
              <input
                value={row.drop ? "" : row.to}
                placeholder={row.drop ? "dropped" : "Class in the dataset"}
                disabled={row.drop}
                aria-label={`Row ${index + 1}: class in the dataset`}
                onChange={(event) => update(index, { to: event.target.value })}
                data-testid="import-class-map-to"
              />
              <label className="field--inline" style={{ gap: 4 }}>
                <input
                  type="checkbox"
                  checked={row.drop}
                  onChange={(event) => update(index, { drop: event.target.checked })}
                  data-testid="import-class-map-drop"
                />
                Drop
              </label>
              <button
                type="button"
                className="link-button"
                aria-label={`Remove row ${index + 1}`}
                onClick={() => {
                  const next = rows.filter((_, i) => i !== index);
                  editRows(next.length ? next : [emptyRow()]);
                }}
              >
                Remove
              </button>
            </div>
          ))}
          <div>
            <button
              type="button"
              className="button"
              onClick={() => editRows([...rows, emptyRow()])}
              data-testid="import-class-map-add"
            >
              Add a row
            </button>
          </div>
        </div>
      ) : (
        <textarea
          value={json}
          rows={5}
          spellCheck={false}
          placeholder={'{ "Insulator": "insulator", "tower": null }'}
          aria-label="Class map as JSON"
          onChange={(event) => editJson(event.target.value)}
          style={{ fontFamily: "monospace", width: "100%" }}
          data-testid="import-class-map-json"
        />
      )}
      {problem && (
        <p className="muted" role="alert" data-testid="import-class-map-error">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
