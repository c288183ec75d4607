import { Alert } from 'antd';
import { errorMessage } from '../api/apiClient';

/** Shows the server's own message for a failed request. */
export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  if (!error) return null;
  return <Alert type="error" showIcon title={errorMessage(error)} style={style} />;
}
