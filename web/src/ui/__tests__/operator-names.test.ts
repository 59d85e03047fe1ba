import { describe, expect, it } from 'vitest';
import { operatorLabel } from '../operator-names.ts';

describe('operators by name', () => {
  it('shows the name with the endpoint beside it, the endpoint alone without a name', () => {
    expect(operatorLabel('101', 'Ольга Операторова')).toBe('Ольга Операторова (101)');
    expect(operatorLabel('101', '  ')).toBe('101');
    expect(operatorLabel('101', null)).toBe('101');
    expect(operatorLabel('101', '101')).toBe('101');
    expect(operatorLabel(null, 'Ольга')).toBe('');
  });
});
