/**
 * Resistance for the terminal, three significant digits with the unit scaled
 * (sweep-open and compare-arrays print opens with it).
 *
 *   formatOhms(16100) === "16.1 kΩ";  formatOhms(null) === "not detectable"
 */

/** 16100 → "16.1 kΩ"; null → "not detectable". */
export function formatOhms(ohms: number | null): string {
  if (ohms === null) return "not detectable";
  if (ohms >= 1e9) return `${(ohms / 1e9).toPrecision(3)} GΩ`;
  if (ohms >= 1e6) return `${(ohms / 1e6).toPrecision(3)} MΩ`;
  if (ohms >= 1e3) return `${(ohms / 1e3).toPrecision(3)} kΩ`;
  return `${ohms.toPrecision(3)} Ω`;
}
