export type { AudioChoice } from './call-audio.ts';
export { SoftphoneEngine } from './softphone-engine.ts';
export {
  EnsureSoftphone,
  type Softphone,
  SoftphoneProvider,
  useOptionalSoftphone,
  useSoftphone,
} from './softphone-provider.tsx';
export {
  fetchSoftphoneSettings,
  type SoftphoneSettingsResult,
  usableSettings,
} from './softphone-settings.ts';
export { canDial, type PhoneCall, type SoftphoneState } from './softphone-state.ts';
export { SoftphoneTabLock, type TabRole } from './softphone-tab-lock.ts';
export { RegistrationBadge } from './ui/registration-badge.tsx';
export { SoftphonePanel } from './ui/softphone-panel.tsx';
