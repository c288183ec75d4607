// Page templates rendered with miniprogram-simulate from the data the pages set (compiled WXML, data bound, taps fired).
import fs from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { beforeAll, describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../src');
let texts: Record<string, string>;

beforeAll(async () => {
  (globalThis as any).wx.getSystemInfoSync = () => ({ language: 'zh_CN' });
  texts = (await import('../src/utils/i18n')).texts();
});

function renderPage(page: string, data: Record<string, unknown>, methods: Record<string, (...a: any[]) => void> = {}) {
  const template = fs.readFileSync(path.join(SRC, 'pages', page, 'index.wxml'), 'utf8');
  const id = simulate.load({ template, data: { t: texts, ...data }, methods });
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

describe('home page', () => {
  it('lists the reports with a "recently viewed" badge and opens one on tap', async () => {
    const opened: string[] = [];
    const comp = renderPage(
      'home',
      {
        q: '',
        loading: false,
        error: '',
        reports: [
          { id: 'r2', name: '销售概览', description: '按区域', recent: true },
          { id: 'r1', name: '库存', description: null, recent: false },
        ],
      },
      { onOpen(e: any) { opened.push(e.currentTarget.dataset.id); } },
    );
    const text = comp.dom.textContent ?? '';
    expect(text.indexOf('销售概览')).toBeLessThan(text.indexOf('库存'));
    expect(text.match(/最近查看/g)).toHaveLength(1);
    expect(text).not.toContain('暂无可查看的报表');
    comp.querySelectorAll('.report')[1].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(opened).toEqual(['r1']);
  });

  it('says so when there is nothing to see', () => {
    const comp = renderPage('home', { q: '', loading: false, error: '', reports: [] });
    expect(comp.dom.textContent).toContain('暂无可查看的报表');
  });
});

describe('login page', () => {
  it('shows the bind hint and the server message, and submits on tap', async () => {
    let submitted = 0;
    const comp = renderPage(
      'login',
      { siteName: '数览 Shulan', domain: 'https://bi.example.com', canChangeDomain: true, wecomBusy: false, showForm: true, bindTicket: 't1', username: '', password: '', error: '用户名或密码错误', busy: false },
      { onSubmit() { submitted++; } },
    );
    const text = comp.dom.textContent ?? '';
    expect(text).toContain('首次在企业微信中使用');
    expect(text).toContain('用户名或密码错误');
    comp.querySelector('#submit').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(submitted).toBe(1);
  });

  it('a refused WeCom member sees only the message, no form', () => {
    const comp = renderPage('login', { siteName: '数览', domain: 'https://bi.example.com', canChangeDomain: false, wecomBusy: false, showForm: false, bindTicket: '', username: '', password: '', error: '你的企业微信账号已停用', busy: false });
    expect(comp.dom.textContent).toContain('已停用');
    expect(comp.querySelector('#submit')).toBeUndefined();
    expect(comp.querySelector('#change-domain')).toBeUndefined();
  });
});

describe('me page', () => {
  it('shows the user, the matched WeCom member and the server', () => {
    const comp = renderPage('me', { user: { displayName: '张三', username: 'zs', role: 'viewer' }, wecomUserid: 'zhangsan', domain: 'https://bi.example.com', canChangeDomain: true, error: '' });
    const text = comp.dom.textContent ?? '';
    for (const s of ['张三', 'zhangsan', 'https://bi.example.com', '切换地址', '退出登录']) expect(text).toContain(s);
  });
});
