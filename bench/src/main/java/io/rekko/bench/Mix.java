package io.rekko.bench;

import io.rekko.schema.CommandType;

/**
 * The shares of verifications, registrations and deletes in the traffic; they add up to 1.
 *
 * @param verify share of {@code face.verify}
 * @param register share of {@code face.register}
 * @param delete share of {@code face.delete}
 */
record Mix(double verify, double register, double delete) {
  /** 60 % verify of live faces, 30 % register of new ids, 10 % delete of live faces. */
  static final Mix STANDARD = new Mix(0.6, 0.3, 0.1);

  /** Registrations only. */
  static final Mix REGISTRATIONS = new Mix(0, 1, 0);

  Mix {
    if (verify < 0 || register < 0 || delete < 0) {
      throw new IllegalArgumentException("mix shares must not be negative");
    }
    if (Math.abs(verify + register + delete - 1.0) > 1e-9) {
      throw new IllegalArgumentException(
          "mix shares must add up to 1, were " + (verify + register + delete));
    }
  }

  /** The command type that a uniform draw {@code u} in [0, 1) picks. */
  CommandType draw(double u) {
    if (u < verify) {
      return CommandType.FACE_VERIFY;
    }
    if (u < verify + register) {
      return CommandType.FACE_REGISTER;
    }
    return delete > 0 ? CommandType.FACE_DELETE : CommandType.FACE_REGISTER;
  }

  @Override
  public String toString() {
    return String.format(
        "%.0f %% verify, %.0f %% register, %.0f %% delete",
        verify * 100, register * 100, delete * 100);
  }
}
