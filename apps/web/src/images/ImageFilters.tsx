"use client";

import { useState } from "react";
import type { DefectClass } from "../classes/classes.graphql";
import { ORIGINS, REVIEW_STATES, SPLITS } from "./images.graphql";
import { EMPTY_BROWSE_QUERY, isFiltered, type BrowseQuery } from "./browseQuery";
import { titleCase } from "../ui/format";
import { Field, SelectField } from "../ui/Field";
import { classTitle } from "../ui/ClassLabel";

interface ImageFiltersProps {
  query: BrowseQuery;
  classes: DefectClass[];
  knownTags: string[];
  onChange: (query: BrowseQuery) => void;
}

export function ImageFilters({ query, classes, knownTags, onChange }: ImageFiltersProps) {
  const [tagDraft, setTagDraft] = useState("");

  function addTag() {
    const tag = tagDraft.trim();
    setTagDraft("");
    if (tag && !query.tags.includes(tag)) onChange({ ...query, tags: [...query.tags, tag] });
  }

  return (
    <div className="filters" role="search" aria-label="Filter images" data-testid="image-filters">
      <SelectField
        compact
        label="Class"
        value={query.classId ?? ""}
        onChange={(classId) => onChange({ ...query, classId: classId || null })}
        none="Any class"
        options={classes.map((defectClass) => ({
          value: defectClass.id,
          label: classTitle(defectClass),
        }))}
        selectTestId="filter-class"
      />

      <fieldset className="field field--compact split-filter" data-testid="filter-splits">
        <legend>Split</legend>
        <div className="chip-toggles">
          {SPLITS.map((split) => {
            const on = query.splits.includes(split);
            return (
              <button
                key={split}
                type="button"
                className={on ? "chip-toggle chip-toggle--on" : "chip-toggle"}
                aria-pressed={on}
                onClick={() =>
                  onChange({
                    ...query,
                    splits: on
                      ? query.splits.filter((value) => value !== split)
                      : [...query.splits, split],
                  })
                }
              >
                {titleCase(split)}
              </button>
            );
          })}
        </div>
      </fieldset>

      <SelectField
        compact
        label="Origin"
        value={query.origin ?? ""}
        onChange={(origin) => onChange({ ...query, origin: origin || null })}
        none="Any origin"
        options={ORIGINS.map((origin) => ({ value: origin, label: titleCase(origin) }))}
        selectTestId="filter-origin"
      />

      <SelectField
        compact
        label="Review"
        value={query.reviewState ?? ""}
        onChange={(reviewState) => onChange({ ...query, reviewState: reviewState || null })}
        none="Any state"
        options={REVIEW_STATES.map((state) => ({
          value: state,
          label: state === "NONE" ? "Not reviewed (real)" : titleCase(state),
        }))}
        selectTestId="filter-review"
      />

      <div className="field field--compact">
        <label htmlFor="filter-tag">Tags</label>
        <div className="tag-filter">
          {query.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
              <button
                type="button"
                aria-label={`Remove tag filter ${tag}`}
                onClick={() =>
                  onChange({ ...query, tags: query.tags.filter((value) => value !== tag) })
                }
              >
                ×
              </button>
            </span>
          ))}
          <input
            id="filter-tag"
            list="known-tags"
            value={tagDraft}
            placeholder="add tag…"
            onChange={(event) => setTagDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                addTag();
              }
            }}
            onBlur={addTag}
            data-testid="filter-tag"
          />
          <datalist id="known-tags">
            {knownTags.map((tag) => (
              <option key={tag} value={tag} />
            ))}
          </datalist>
        </div>
      </div>

      <Field compact label="Captured from">
        <input
          type="datetime-local"
          value={query.capturedFrom}
          onChange={(event) => onChange({ ...query, capturedFrom: event.target.value })}
          data-testid="filter-from"
        />
      </Field>
      <Field compact label="Captured to">
        <input
          type="datetime-local"
          value={query.capturedTo}
          onChange={(event) => onChange({ ...query, capturedTo: event.target.value })}
          data-testid="filter-to"
        />
      </Field>

      {isFiltered(query) && (
        <button
          type="button"
          className="button button--ghost-dark filters__clear"
          onClick={() => onChange(EMPTY_BROWSE_QUERY)}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
