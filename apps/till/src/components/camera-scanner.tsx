import { useEffect, useRef, useState } from 'react';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cameraProblemOf, decodeFrames, hasTorch, openRearCamera, setTorch, type CameraProblem } from '../camera';

type CameraState =
  { state: 'off' } | { state: 'starting' } | { state: 'scanning' } | { state: 'problem'; problem: CameraProblem };

/** The cashier closed the camera (a till with a barcode gun): remembered, so it is not opened on each sale. */
const OFF_KEY = 'quan.till.camera';

/**
 * The camera view: opens the rear camera (unless the cashier turned it off), reads one QR code into
 * `onRead`, offers the torch where the device has one, and says plainly when there is no camera.
 */
export function CameraScanner({ onRead }: { onRead: (text: string) => void }) {
  const { t } = useTranslation('till');
  const video = useRef<HTMLVideoElement>(null);
  const [wanted, setWanted] = useState(() => localStorage.getItem(OFF_KEY) !== 'off');
  const [camera, setCamera] = useState<CameraState>(() => (wanted ? { state: 'starting' } : { state: 'off' }));
  const [track, setTrack] = useState<MediaStreamTrack>();
  const [torch, setTorchOn] = useState(false);
  const read = useRef(onRead);
  useEffect(() => {
    read.current = onRead;
  }, [onRead]);

  useEffect(() => {
    if (!wanted) return;
    let stream: MediaStream | undefined;
    let stopDecoding: (() => void) | undefined;
    let cancelled = false;
    openRearCamera()
      .then(async (opened) => {
        stream = opened;
        if (cancelled || !video.current) return;
        video.current.srcObject = opened;
        await video.current.play();
        const [first] = opened.getVideoTracks();
        setTrack(hasTorch(first) ? first : undefined);
        setCamera({ state: 'scanning' });
        stopDecoding = decodeFrames(video.current, (text) => read.current(text));
      })
      .catch((error: unknown) => {
        if (!cancelled) setCamera({ state: 'problem', problem: cameraProblemOf(error) });
      });
    return () => {
      cancelled = true;
      stopDecoding?.();
      stream?.getTracks().forEach((each) => each.stop());
      setTrack(undefined);
      setTorchOn(false);
    };
  }, [wanted]);

  function toggle(on: boolean) {
    localStorage.setItem(OFF_KEY, on ? 'on' : 'off');
    setWanted(on);
    setCamera(on ? { state: 'starting' } : { state: 'off' });
  }

  async function switchTorch() {
    if (!track) return;
    await setTorch(track, !torch).catch(() => undefined);
    setTorchOn(!torch);
  }

  return (
    <section className="q-card q-stack" aria-labelledby="camera-title">
      <div className="q-row">
        <h3 id="camera-title">{t('camera.title')}</h3>
        <Button size="small" fill="outline" onClick={() => toggle(!wanted)}>
          {wanted ? t('camera.stop') : t('camera.start')}
        </Button>
      </div>
      {wanted && camera.state !== 'problem' && (
        <div className="q-viewfinder">
          <video ref={video} muted playsInline aria-label={t('camera.preview')} />
        </div>
      )}
      <p
        className={camera.state === 'problem' ? 'q-note q-bad' : 'q-muted'}
        role={camera.state === 'problem' ? 'alert' : undefined}
        aria-live="polite"
      >
        {camera.state === 'starting' && t('camera.starting')}
        {camera.state === 'scanning' && t('camera.scanning')}
        {camera.state === 'problem' && t(`camera.${camera.problem}`)}
      </p>
      {track && (
        <Button size="small" fill="outline" aria-pressed={torch} onClick={() => void switchTorch()}>
          {torch ? t('camera.torchOff') : t('camera.torchOn')}
        </Button>
      )}
    </section>
  );
}
