import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** Title row of a page, with actions on the right. */
export function PageHeader({ title, extra, subTitle }: { title: ReactNode; extra?: ReactNode; subTitle?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subTitle ? <Typography.Text type="secondary">{subTitle}</Typography.Text> : null}
      </div>
      {extra}
    </Flex>
  );
}
