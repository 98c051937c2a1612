/**
 * A constant (a metric or attribute name from the vocabulary) as an SQL string literal. Only for
 * names fixed in code: anything a user sends goes in as a query parameter.
 */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
