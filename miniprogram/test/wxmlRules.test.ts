// @vitest-environment node
// Every .wxml/.wxss of the mini program (present and future) against what the WeChat docs rule out.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMiniprogram, checkWxml, checkWxss, parseRules } from './wxmlLint';

describe('WXML/WXSS rules', () => {
  it('the mini program source breaks none of them', () => {
    expect(checkMiniprogram(path.resolve(__dirname, '../src'))).toEqual([]);
  });

  it('the check catches each kind of mistake (so the test above cannot pass by checking nothing)', () => {
    const wxml = `
      <view wx:for="{{rows}}" wx:key="index"></view>
      <view wx:for="{{rows}}" wx:for-index="ri" wx:key="ri"></view>
      <view wx:for="{{rows}}" wx:key="{{item.id}}"></view>
      <view wx:for="{{rows}}" wx:key="id"></view>
      <view wx:for="{{tags}}" wx:key="*this"></view>
      <scroll-view scroll-y="{{true}}" class="list"></scroll-view>
      <scroll-view scroll-y class="fixed"></scroll-view>
      <scroll-view scroll-x="{{true}}" class="strip"></scroll-view>
      <button class="btn">OK</button>
      <button class="wide">OK</button>
      <button style="width: 100%">OK</button>`;
    const rules = parseRules('.list { max-height: 600rpx; } .fixed { height: 600rpx; } .btn { width: 100%; } .wide { width: 100% !important; }');
    expect(checkWxml('x.wxml', wxml, rules).map((v) => `${v.rule}: ${v.detail.split(':')[0]}`)).toEqual([
      'wx:key: <view wx',
      'wx:key: <view wx',
      'wx:key: <view wx',
      'scroll-view height: vertical <scroll-view class="list"> has no fixed height',
      'button width: <button class="btn"> keeps style v2\'s 184px width',
    ]);
    const wxss = '.a button { flex: 1; } #apply { color: red; } .btn[disabled] { color: #ccc; } page { color: #333; } .ok, .ok::after { color: #000; } @media (min-width: 600px) { .x view { margin: 0; } } @keyframes spin { from { opacity: 0 } to { opacity: 1 } }';
    expect(checkWxss('c.wxss', wxss, false).map((v) => v.detail)).toEqual([
      '".a button": tag selector "button"',
      '"#apply": id selector',
      '".btn[disabled]": attribute selector',
      '"page": tag selector "page"',
      '".x view": tag selector "view"',
    ]);
    expect(checkWxss('app.wxss', 'page { color: #333; }', true)).toEqual([]);
  });
});
