// The page shown for an address the web app does not know.
import { Result } from 'antd';
import { Link } from 'react-router';

export default function NotFound() {
  return <Result status="404" title="صفحه پیدا نشد" subTitle="نشانی واردشده در میز خدمت برق وجود ندارد." extra={<Link to="/">بازگشت به صفحه اصلی</Link>} />;
}
