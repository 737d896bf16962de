import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import ApiPlayground from './docs/ApiPlayground';

const router = createBrowserRouter([{ path: '/docs/playground', element: <ApiPlayground /> }]);
createRoot(document.getElementById('root')!).render(<RouterProvider router={router} />);
