import type { ComponentType } from 'react';
import { ArchivePanel } from './archive-panel.tsx';
import { DictionariesPanel } from './dictionaries-panel.tsx';
import { QualityPanel } from './quality-panel.tsx';
import { QueuesPanel } from './queues-panel.tsx';
import { UsersPanel } from './users-panel.tsx';

/** The administration's sections, each at `/admin/<id>`. */
export interface AdminTab {
  id: 'users' | 'dictionaries' | 'queues' | 'archive' | 'quality';
  labelKey: string;
  Panel: ComponentType;
}

export const ADMIN_TABS: readonly AdminTab[] = [
  { id: 'users', labelKey: 'admin.tabs.users', Panel: UsersPanel },
  { id: 'dictionaries', labelKey: 'admin.tabs.dictionaries', Panel: DictionariesPanel },
  { id: 'queues', labelKey: 'admin.tabs.queues', Panel: QueuesPanel },
  { id: 'archive', labelKey: 'admin.tabs.archive', Panel: ArchivePanel },
  { id: 'quality', labelKey: 'admin.tabs.quality', Panel: QualityPanel },
];
