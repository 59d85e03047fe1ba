import { describe, expect, it } from 'vitest';
import { UserFormSchema, userFormDefaults } from '../user-form.tsx';

describe('the user form refuses users who could do nothing', () => {
  const base = { ...userFormDefaults(null), login: 'new-user', password: 'long-enough', creating: true };
  const messages = (values: typeof base) => {
    const parsed = UserFormSchema.safeParse(values);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('an operator without a phone number, a supervisor without queues', () => {
    expect(messages({ ...base, role: 'operator', endpoint: '' })).toEqual([
      'endpoint: admin.users.operatorNeedsEndpoint',
    ]);
    expect(messages({ ...base, role: 'supervisor', queues: [] })).toEqual([
      'queues: admin.users.supervisorNeedsQueues',
    ]);
    expect(messages({ ...base, role: 'operator', endpoint: '104' })).toEqual([]);
    expect(messages({ ...base, role: 'supervisor', queues: ['support'] })).toEqual([]);
    expect(messages({ ...base, role: 'admin' })).toEqual([]);
  });
});
