"use client";

import { useState } from "react";
import type { DefectClass } from "../classes/classes.graphql";
import { ORIGINS, REVIEW_STATES, SPLITS, type Origin, type ReviewState } from "./images.graphql";
import { EMPTY_BROWSE_QUERY, isFiltered, type BrowseQuery } from "./browseQuery";
import { titleCase } from "../ui/format";

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
      <label className="field field--compact">
        <span>Class</span>
        <select
          value={query.classId ?? ""}
          onChange={(event) => onChange({ ...query, classId: event.target.value || null })}
          data-testid="filter-class"
        >
          <option value="">Any class</option>
          {classes.map((defectClass) => (
            <option key={defectClass.id} value={defectClass.id}>
              {defectClass.title || defectClass.name}
            </option>
          ))}
        </select>
      </label>

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

      <label className="field field--compact">
        <span>Origin</span>
        <select
          value={query.origin ?? ""}
          onChange={(event) =>
            onChange({ ...query, origin: (event.target.value || null) as Origin | null })
          }
          data-testid="filter-origin"
        >
          <option value="">Any origin</option>
          {ORIGINS.map((origin) => (
            <option key={origin} value={origin}>
              {titleCase(origin)}
            </option>
          ))}
        </select>
      </label>

      <label className="field field--compact">
        <span>Review</span>
        <select
          value={query.reviewState ?? ""}
          onChange={(event) =>
            onChange({ ...query, reviewState: (event.target.value || null) as ReviewState | null })
          }
          data-testid="filter-review"
        >
          <option value="">Any state</option>
          {REVIEW_STATES.map((state) => (
            <option key={state} value={state}>
              {state === "NONE" ? "Not reviewed (real)" : titleCase(state)}
            </option>
          ))}
        </select>
      </label>

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

      <label className="field field--compact">
        <span>Captured from</span>
        <input
          type="datetime-local"
          value={query.capturedFrom}
          onChange={(event) => onChange({ ...query, capturedFrom: event.target.value })}
          data-testid="filter-from"
        />
      </label>
      <label className="field field--compact">
        <span>Captured to</span>
        <input
          type="datetime-local"
          value={query.capturedTo}
          onChange={(event) => onChange({ ...query, capturedTo: event.target.value })}
          data-testid="filter-to"
        />
      </label>

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
