import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useGroups } from '../users/useUsers';

/** The directory's groups → Shulan groups and roles; shared by the OIDC and LDAP forms. */
export function GroupMappingFields({ prefix }: { prefix: string }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const options = (groups.data ?? []).map((g) => ({ value: g.id, label: g.name }));
  return (
    <>
      <Form.Item name="createUsers" label={t('loginMethods.createUsers')} valuePropName="checked" extra={t('loginMethods.createUsersHelp')}>
        <Switch data-testid={`${prefix}-create-users`} />
      </Form.Item>
      <Form.Item name="adminGroups" label={t('loginMethods.adminGroups')} extra={t('loginMethods.roleHelp')}>
        <Select mode="tags" open={false} data-testid={`${prefix}-admin-groups`} />
      </Form.Item>
      <Form.Item name="editorGroups" label={t('loginMethods.editorGroups')}>
        <Select mode="tags" open={false} data-testid={`${prefix}-editor-groups`} />
      </Form.Item>
      <Form.Item label={t('loginMethods.groupMap')} extra={t('loginMethods.groupMapHelp')}>
        <Form.List name="groupMap">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="baseline">
                  <Form.Item name={[f.name, 'external']} rules={[{ required: true }]} style={{ flex: 1 }}>
                    <Input placeholder={t('loginMethods.externalGroup')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'groupId']} rules={[{ required: true }]} style={{ flex: 1 }}>
                    <Select options={options} placeholder={t('loginMethods.shulanGroup')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Flex>
              ))}
              <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>
                {t('loginMethods.addMapping')}
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
    </>
  );
}
