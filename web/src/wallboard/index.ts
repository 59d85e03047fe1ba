export { WallboardPage } from './wallboard-page.tsx';
