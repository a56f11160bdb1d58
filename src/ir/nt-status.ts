/**
 * The little the IR needs to know about NTSTATUS values (MS-ERREF 2.3): the top two bits are the
 * severity, and only STATUS_SEVERITY_ERROR (3) means the request failed. Warnings such as
 * STATUS_BUFFER_OVERFLOW (0x80000005) still carry a result, e.g. a read or query that returned data.
 */
export const STATUS_SUCCESS = 0x00000000;

const STATUS_SEVERITY_ERROR = 3;

export function isNtError(status: number): boolean {
  return status >>> 30 === STATUS_SEVERITY_ERROR;
}

export function isNtStatusValue(status: number): boolean {
  return Number.isInteger(status) && status >= 0 && status <= 0xffffffff;
}
