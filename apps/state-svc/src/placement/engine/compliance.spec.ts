import type { ComplianceNeeds } from '@kailash/contracts';
import { requiredZones, zoneMask } from './compliance';

const needs = (partial: Partial<ComplianceNeeds>): ComplianceNeeds => ({
  classifications: [],
  requiredZones: [],
  ...partial,
});

describe('compliance rule table: classification + subject country → required zones', () => {
  it.each([
    [['pii'], 'FR', ['gdpr']],
    [['pii'], 'DE', ['gdpr']],
    [['pii'], 'NO', ['gdpr']],
    [['pii'], 'GB', ['gdpr']],
    [['pii'], 'CA', ['pipeda']],
    [['pii'], 'BR', ['lgpd']],
    [['pii'], 'US', []],
    [['pii'], undefined, []],
    [['eu_personal'], undefined, ['gdpr']],
    [['eu_personal'], 'US', ['gdpr']],
    [['california_resident'], 'US', ['ccpa']],
    [['canadian_personal'], undefined, ['pipeda']],
    [['phi'], 'US', ['hipaa']],
    [['healthcare'], undefined, ['hipaa']],
    [['pci'], undefined, ['pci_dss']],
    [['financial'], undefined, ['sox']],
    [['restricted'], undefined, ['restricted']],
    [['public', 'internal', 'confidential', 'educational'], 'FR', []],
    [['pii', 'phi', 'pci'], 'IT', ['gdpr', 'hipaa', 'pci_dss']],
  ] as const)('%j with subjects in %s needs %j', (classifications, subjectCountry, expected) => {
    expect(
      requiredZones(
        needs({ classifications: [...classifications], ...(subjectCountry ? { subjectCountry } : {}) }),
      ),
    ).toEqual(expected);
  });

  it('adds explicitly required zones once, in the canonical zone order', () => {
    expect(
      requiredZones(
        needs({ classifications: ['pii'], subjectCountry: 'FR', requiredZones: ['itar', 'gdpr'] }),
      ),
    ).toEqual(['gdpr', 'itar']);
  });

  it('turns zones into a bit mask where "holds every required zone" is one AND', () => {
    const edge = zoneMask(['gdpr', 'public', 'hipaa']);
    expect(edge & zoneMask(['gdpr'])).toBe(zoneMask(['gdpr']));
    expect(edge & zoneMask(['gdpr', 'hipaa'])).toBe(zoneMask(['gdpr', 'hipaa']));
    expect(edge & zoneMask(['gdpr', 'ccpa'])).not.toBe(zoneMask(['gdpr', 'ccpa']));
    expect(zoneMask([])).toBe(0);
  });
});
