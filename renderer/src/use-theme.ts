// Light/dark follows the OS (CSS prefers-color-scheme) unless the settings force one.
import { useEffect } from 'react';
import { useInspector } from './store/context.tsx';

export function useTheme() {
  const theme = useInspector((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
  }, [theme]);
}
