import { createContext, useContext, type MouseEvent, type ReactNode } from 'react';

export const BASE = '/console';

export interface Route {
  path: string;
  query: URLSearchParams;
  navigate: (to: string) => void;
}

export const RouteContext = createContext<Route>({ path: '/', query: new URLSearchParams(), navigate: () => {} });
export const useRoute = () => useContext(RouteContext);

export function currentRoute(): { path: string; query: URLSearchParams } {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) || '/' : '/';
  return { path, query: new URLSearchParams(window.location.search) };
}

/** An ordinary link (it opens in a new tab, keyboard and all), followed inside the page on a plain click. */
export function Link({
  to,
  children,
  ...rest
}: {
  to: string;
  children: ReactNode;
  className?: string;
  'aria-current'?: 'page';
}) {
  const { navigate } = useRoute();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${BASE}${to}`} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
