/**
 * The rear camera as a QR reader: getUserMedia, frames drawn onto a small canvas, decoded by jsQR (a
 * maintained pure-JS decoder; Chromium on Linux and most cheap phones' browsers have no BarcodeDetector).
 * jsQR is loaded with the camera, so the checkout's first paint does not wait for it.
 */

export type CameraProblem = 'refused' | 'absent' | 'failed';

/** Why the camera could not open, in the three cases the cashier is told about. */
export function cameraProblemOf(error: unknown): CameraProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'refused';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return 'absent';
  return 'failed';
}

export async function openRearCamera(): Promise<MediaStream> {
  // No mediaDevices at all: an insecure page or a browser without cameras.
  if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('no camera API', 'NotFoundError');
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
}

type TorchCapabilities = MediaTrackCapabilities & { torch?: boolean };

export function hasTorch(track: MediaStreamTrack): boolean {
  return typeof track.getCapabilities === 'function' && (track.getCapabilities() as TorchCapabilities).torch === true;
}

export function setTorch(track: MediaStreamTrack, on: boolean): Promise<void> {
  return track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
}

/** Frames are decoded at this width at most: enough for a phone-sized QR, cheap on a cheap phone. */
const DECODE_WIDTH = 480;
const FRAME_INTERVAL_MS = 100;

/** Decodes frames of `video` until a QR code is read (its text to `onRead`) or the returned stop is called. */
export function decodeFrames(video: HTMLVideoElement, onRead: (text: string) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  void import('jsqr').then(({ default: jsQR }) => {
    const tick = () => {
      if (stopped || !context) return;
      if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
        const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const frame = context.getImageData(0, 0, canvas.width, canvas.height);
        const found = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
        if (found?.data) {
          stopped = true;
          onRead(found.data);
          return;
        }
      }
      timer = setTimeout(tick, FRAME_INTERVAL_MS);
    };
    tick();
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
