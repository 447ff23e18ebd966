// One FaceNet training step: embed the batch, mine triplets on its distances outside the tape, then descend.
import { tf } from '../face/backend.ts';
import { squaredDistanceMatrix } from './distances.ts';
import { mineTriplets, type MiningStrategy } from './mining.ts';
import { tripletActivity, tripletLoss } from './triplet-loss.ts';

export interface TripletStepResult {
  /** Mean loss over active triplets, on the embeddings before this step's update. */
  loss: number;
  activeFraction: number;
  triplets: number;
}

/**
 * FaceNet sec. 3.2 online generation: triplets come from this batch's own embeddings. Mining reads the
 * distance matrix as numbers (Less/Greater have no gradient), and the loss is recomputed under the tape.
 * @param embed maps the batch to unit-length embeddings [B, d] from `variables`.
 * @param regulariser optional extra term added to the loss being minimised.
 */
export async function tripletStep(
  optimizer: tf.Optimizer,
  embed: () => tf.Tensor2D,
  labels: Int32Array,
  settings: { mining: MiningStrategy; margin: number },
  variables: tf.Variable[],
  regulariser?: () => tf.Scalar,
): Promise<TripletStepResult> {
  const distanceTensor = tf.tidy(() => squaredDistanceMatrix(embed()));
  const distances = await distanceTensor.data();
  distanceTensor.dispose();
  const triplets = mineTriplets(settings.mining, distances, labels, settings.margin);
  const activity = tripletActivity(distances, labels.length, triplets, settings.margin);
  if (activity.active > 0) {
    optimizer.minimize(
      () => {
        const loss = tripletLoss(embed(), triplets, settings.margin, activity.active);
        return regulariser ? (tf.add(loss, regulariser()) as tf.Scalar) : loss;
      },
      false,
      variables,
    );
  }
  return { loss: activity.meanActiveLoss, activeFraction: activity.activeFraction, triplets: triplets.anchor.length };
}
