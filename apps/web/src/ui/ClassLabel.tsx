/** A defect class as people see it: its colour, then its title (or its name when it has none). */

interface ClassLike {
  name: string;
  title?: string | null;
  color: string;
}

export function classTitle(defectClass: { name: string; title?: string | null }): string {
  return defectClass.title || defectClass.name;
}

/** The colour square alone (decorative: the label beside it says which class). */
export function Swatch({
  color,
  large,
  title,
}: {
  color: string;
  large?: boolean;
  title?: string;
}) {
  return (
    <span
      className={large ? "swatch swatch--large" : "swatch"}
      style={{ background: color }}
      aria-hidden={title ? undefined : "true"}
      title={title}
    />
  );
}

/** Swatch and title in running text (a table's row header, a tooltip). */
export function ClassLabel({ defectClass }: { defectClass: ClassLike }) {
  return (
    <>
      <Swatch color={defectClass.color} /> {classTitle(defectClass)}
    </>
  );
}

/** Swatch and label as a chip (dataset cards, the classes a new dataset will have). */
export function ClassChip({ color, label }: { color: string; label: string }) {
  return (
    <span className="class-chip">
      <Swatch color={color} />
      {label}
    </span>
  );
}
