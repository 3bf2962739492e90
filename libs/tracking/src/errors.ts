/** An error from a tracking store, carrying MLflow's error code (INVALID_PARAMETER_VALUE, ...). */
export class TrackingError extends Error {
  constructor(
    message: string,
    readonly errorCode: string = 'INTERNAL_ERROR',
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'TrackingError';
  }
}
