export { OperatorWorkspacePage } from './operator-workspace-page.tsx';
