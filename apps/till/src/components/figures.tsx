/** Labelled figures as a description list: the quote's lines, the receipt's, the day's totals. */
export function Figures({
  rows,
  className = 'q-lines',
}: {
  rows: [label: string, value: string, emphasis?: boolean][];
  className?: string;
}) {
  return (
    <dl className={className}>
      {rows.map(([label, value, emphasis]) => (
        <div key={label} className={emphasis ? 'q-payable' : undefined}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
