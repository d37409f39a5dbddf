// Draws images/icon.png (128x128): a roofline (bandwidth slope + compute roof) over a 4x4 grid of processing
// elements, on a canvas in headless Chromium. Run: node images/draw-icon.mjs
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(
  '<html><body style="margin:0;background:transparent"><canvas id="c" width="128" height="128"></canvas></body></html>',
);
await page.evaluate(() => {
  const g = document.getElementById('c').getContext('2d');
  const rr = (x, y, w, h, r) => {
    g.beginPath();
    g.moveTo(x + r, y);
    g.arcTo(x + w, y, x + w, y + h, r);
    g.arcTo(x + w, y + h, x, y + h, r);
    g.arcTo(x, y + h, x, y, r);
    g.arcTo(x, y, x + w, y, r);
    g.closePath();
  };
  const bg = g.createLinearGradient(0, 0, 128, 128);
  bg.addColorStop(0, '#1b2a4a');
  bg.addColorStop(1, '#0d1526');
  rr(4, 4, 120, 120, 22);
  g.fillStyle = bg;
  g.fill();
  // processing-element grid
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      rr(22 + i * 22, 40 + j * 18, 16, 12, 3);
      g.fillStyle = (i + j) % 3 === 0 ? '#3794ff' : (i + j) % 3 === 1 ? '#b180d7' : '#89d185';
      g.globalAlpha = 0.55;
      g.fill();
      g.globalAlpha = 1;
    }
  // roofline: slope then flat roof
  g.strokeStyle = '#ffb454';
  g.lineWidth = 7;
  g.lineCap = 'round';
  g.lineJoin = 'round';
  g.beginPath();
  g.moveTo(18, 108);
  g.lineTo(58, 30);
  g.lineTo(110, 30);
  g.stroke();
  g.fillStyle = '#ffffff';
  for (const [x, y] of [
    [40, 86],
    [66, 62],
    [92, 48],
  ]) {
    g.beginPath();
    g.arc(x, y, 5, 0, Math.PI * 2);
    g.fill();
  }
});
await (await page.$('#c')).screenshot({ path: new URL('./icon.png', import.meta.url).pathname, omitBackground: true });
await browser.close();
console.log('wrote images/icon.png');
