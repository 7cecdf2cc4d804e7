// Filing a temporary-removal request on the web (channel `web`), signed in with a one-time code.
import { Card, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { RequestForm } from '../shared/request-form.tsx';
import { OtpSignIn, useSession } from '../shared/session.tsx';
import { CitizenShell } from './citizen-shell.tsx';

export default function FileRequestPage() {
  const session = useSession('citizen');
  const navigate = useNavigate();
  return (
    <CitizenShell>
      <div className="narrow">
        <Typography.Title level={1} className="page-title">
          ثبت درخواست جمع‌آوری موقت انشعاب
        </Typography.Title>
        <p className="muted">پس از ثبت، کد رهگیری نمایش داده و پیامک می‌شود؛ هزینه‌ها پس از بررسی کارشناس اعلام می‌شود.</p>
        {session ? (
          <Card>
            <RequestForm channel="web" realm="citizen" fixedMobile={session.who} onFiled={(view) => void navigate(`/requests/${view.trackingCode}?filed=1`)} />
          </Card>
        ) : (
          <OtpSignIn intro="برای ثبت درخواست، ابتدا با شماره همراه خود وارد شوید." />
        )}
      </div>
    </CitizenShell>
  );
}
