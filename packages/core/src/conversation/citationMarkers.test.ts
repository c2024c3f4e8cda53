import { describe, expect, it } from 'vitest';
import { stripCitationMarkers } from './citationMarkers';

describe('stripCitationMarkers', () => {
  it('removes private-use cite spans and the space before them', () => {
    expect(stripCitationMarkers('Paris is big \ue200cite\ue202turn0search3\ue202turn0news1\ue201.')).toBe('Paris is big.');
  });

  it('replaces an entity span with its display name', () => {
    expect(stripCitationMarkers('I visited \ue200entity\ue202["city","Paris","capital of France"]\ue201 twice')).toBe(
      'I visited Paris twice',
    );
  });

  it('removes stray private-use characters', () => {
    expect(stripCitationMarkers('a\ue203b\uf8ffc')).toBe('abc');
  });

  it('removes single-label reference markers but keeps browsing headers with a title and a domain', () => {
    expect(stripCitationMarkers('acquired【3:4†source】【3:7†source】 in 2020 【11†(Fuelly)】.')).toBe('acquired in 2020.');
    const header = '# 【0†Signal Sciences - Crunchbase†www.crunchbase.com】';
    expect(stripCitationMarkers(header)).toBe(header);
  });

  it('leaves ordinary text untouched', () => {
    expect(stripCitationMarkers('plain 【brackets】 text')).toBe('plain 【brackets】 text');
  });
});
