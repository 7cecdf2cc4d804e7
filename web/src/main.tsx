// Entry of the web app: right-to-left antd with the Persian locale and the bundled Vazirmatn
// font; every area is its own chunk (React.lazy), so the citizen portal loads only what it needs.
import 'vazirmatn/Vazirmatn-Variable-font-face.css';
import './styles.css';
import { App as AntApp, ConfigProvider } from 'antd';
import faIR from 'antd/locale/fa_IR';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { PageLoading } from './shared/loading.tsx';

const PortalPage = lazy(() => import('./citizen/portal-page.tsx'));
const FileRequestPage = lazy(() => import('./citizen/file-request-page.tsx'));
const RequestPage = lazy(() => import('./citizen/request-page.tsx'));
const ResultDocumentPage = lazy(() => import('./citizen/result-document-page.tsx'));
const TrackPage = lazy(() => import('./track/track-page.tsx'));
const SurveyPage = lazy(() => import('./survey/survey-page.tsx'));
const PishkhanApp = lazy(() => import('./pishkhan/pishkhan-app.tsx'));
const StaffApp = lazy(() => import('./staff/staff-app.tsx'));
const AdminApp = lazy(() => import('./admin/admin-app.tsx'));
const NotFound = lazy(() => import('./shared/not-found.tsx'));

const theme = {
  token: {
    fontFamily: 'Vazirmatn, Tahoma, "Segoe UI", sans-serif',
    colorPrimary: '#0b5cab',
    colorLink: '#0b5cab',
    colorError: '#b42318',
    colorWarning: '#b54708',
    colorSuccess: '#067647',
    borderRadius: 8,
    fontSize: 15,
    // antd's default greys fall below WCAG AA contrast (axe color-contrast) on white.
    colorTextDescription: '#4b5563',
    colorTextTertiary: '#4b5563',
    colorTextPlaceholder: '#6b7280',
  },
};

function Root() {
  return (
    <StrictMode>
      <ConfigProvider direction="rtl" locale={faIR} theme={theme}>
        <AntApp>
          <BrowserRouter>
            <Suspense fallback={<PageLoading />}>
              <Routes>
                <Route path="/" element={<PortalPage />} />
                <Route path="/requests" element={<PortalPage />} />
                <Route path="/requests/new" element={<FileRequestPage />} />
                <Route path="/requests/:trackingCode" element={<RequestPage />} />
                <Route path="/requests/:trackingCode/result" element={<ResultDocumentPage />} />
                <Route path="/track" element={<TrackPage />} />
                <Route path="/survey/:token" element={<SurveyPage />} />
                <Route path="/pishkhan/*" element={<PishkhanApp />} />
                <Route path="/staff/*" element={<StaffApp />} />
                <Route path="/admin/*" element={<AdminApp />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </AntApp>
      </ConfigProvider>
    </StrictMode>
  );
}

createRoot(document.getElementById('root')!).render(<Root />);
