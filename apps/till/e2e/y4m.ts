import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

const WIDTH = 640;
const HEIGHT = 480;
const FRAMES = 5;
/** Video luma of white and black (BT.601 studio range) and of the grey around the code. */
const WHITE = 235;
const BLACK = 16;
const GREY = 128;

/**
 * Writes `text` as a QR code into a short Y4M video (4:2:0, grey around a white quiet zone, chroma
 * neutral), which Chromium plays as its camera with --use-file-for-fake-video-capture.
 */
export function writeQrVideo(file: string, text: string): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cells = modules.size + 2 * quiet;
  const cell = Math.floor((HEIGHT * 0.95) / cells);
  const left = Math.floor((WIDTH - cells * cell) / 2);
  const top = Math.floor((HEIGHT - cells * cell) / 2);
  const luma = Buffer.alloc(WIDTH * HEIGHT, GREY);
  for (let y = 0; y < cells * cell; y += 1) {
    for (let x = 0; x < cells * cell; x += 1) {
      const row = Math.floor(y / cell) - quiet;
      const column = Math.floor(x / cell) - quiet;
      const dark =
        row >= 0 && column >= 0 && row < modules.size && column < modules.size && modules.get(row, column) === 1;
      luma[(top + y) * WIDTH + left + x] = dark ? BLACK : WHITE;
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: FRAMES }, () => frame)]));
}
