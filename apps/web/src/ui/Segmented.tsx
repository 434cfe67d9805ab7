"use client";

interface SegmentedProps<T extends string> {
  label: string;
  options: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  testId?: string;
}

/** A row of mutually exclusive choices (a radio group styled as buttons). */
export function Segmented<T extends string>({
  label,
  options,
  value,
  onChange,
  testId,
}: SegmentedProps<T>) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label} data-testid={testId}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          role="radio"
          aria-checked={option.value === value}
          className={
            option.value === value
              ? "segmented__option segmented__option--active"
              : "segmented__option"
          }
          onClick={() => onChange(option.value)}
          data-value={option.value}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
