import type { ComplianceNeeds, ComplianceZone, DataClassification } from '@kailash/contracts';
import { COMPLIANCE_ZONES } from '@kailash/contracts';

/** EU member states plus the EEA's Iceland, Liechtenstein and Norway: GDPR applies to their residents' data. */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
]);

/**
 * Which zone personal data needs, by the subjects' country. The UK keeps GDPR as "UK GDPR", so it maps
 * to the gdpr zone too (stricter than needed only if an operator labels UK-only edges otherwise).
 */
const PERSONAL_DATA_ZONE_BY_COUNTRY: ReadonlyMap<string, ComplianceZone> = new Map<string, ComplianceZone>([
  ...[...EEA_COUNTRIES].map((country): [string, ComplianceZone] => [country, 'gdpr']),
  ['GB', 'gdpr'],
  ['CA', 'pipeda'],
  ['BR', 'lgpd'],
]);

/**
 * The rule table: zones an edge must carry to process data of a classification. Every rule is a hard
 * filter (GDPR Chapter V makes any transfer out of the zone a violation, so "mostly compliant" means
 * nothing). Subject-country rules apply to `pii`; the classifications that name a jurisdiction carry it.
 *
 * | classification      | required zone                                              |
 * |---------------------|------------------------------------------------------------|
 * | eu_personal         | gdpr                                                       |
 * | pii                 | by subject country: EEA or GB → gdpr, CA → pipeda, BR → lgpd |
 * | california_resident | ccpa                                                       |
 * | canadian_personal   | pipeda                                                     |
 * | phi, healthcare     | hipaa                                                      |
 * | pci                 | pci_dss                                                    |
 * | financial           | sox                                                        |
 * | restricted          | restricted                                                 |
 * | public, internal, confidential, educational | none                               |
 */
const ZONES_BY_CLASSIFICATION: Readonly<
  Record<DataClassification, (subjectCountry?: string) => readonly ComplianceZone[]>
> = {
  eu_personal: () => ['gdpr'],
  pii: (country) => {
    const zone = country === undefined ? undefined : PERSONAL_DATA_ZONE_BY_COUNTRY.get(country);
    return zone ? [zone] : [];
  },
  california_resident: () => ['ccpa'],
  canadian_personal: () => ['pipeda'],
  phi: () => ['hipaa'],
  healthcare: () => ['hipaa'],
  pci: () => ['pci_dss'],
  financial: () => ['sox'],
  restricted: () => ['restricted'],
  public: () => [],
  internal: () => [],
  confidential: () => [],
  educational: () => [],
};

/** Zones an edge must hold for this request: derived from the classifications plus any named explicitly. */
export function requiredZones(needs: ComplianceNeeds): ComplianceZone[] {
  const zones = new Set<ComplianceZone>(needs.requiredZones);
  for (const classification of needs.classifications) {
    for (const zone of ZONES_BY_CLASSIFICATION[classification](needs.subjectCountry)) zones.add(zone);
  }
  return COMPLIANCE_ZONES.filter((zone) => zones.has(zone));
}

/** One bit per zone, so "holds every required zone" is a single AND. */
export function zoneMask(zones: Iterable<ComplianceZone>): number {
  let mask = 0;
  for (const zone of zones) mask |= 1 << COMPLIANCE_ZONES.indexOf(zone);
  return mask;
}
