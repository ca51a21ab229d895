// Opens a recording for replay or snapshot, turning every way it can fail into one line for the user.
import { openRecording, type Recording } from '../sources/recording-reader.js';

export async function openRecordingOrExplain(
  file: string,
): Promise<{ recording: Recording } | { error: string }> {
  try {
    const recording = await openRecording(file);
    if (recording.frameCount === 0) {
      recording.close();
      return { error: `${file}: the recording has no frames` };
    }
    return { recording };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${file}: no such file` };
    if (code === 'EACCES') return { error: `${file}: permission denied` };
    const message = (error as Error).message;
    // The reader's messages usually name the file already.
    return { error: message.includes(file) ? message : `${file}: ${message}` };
  }
}
