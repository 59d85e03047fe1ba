export { MissedCallsPage } from './missed-calls-page.tsx';
export { SessionsPage } from './sessions-page.tsx';
