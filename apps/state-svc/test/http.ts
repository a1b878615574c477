/**
 * A response body for assertions. Tests check bodies field by field, so their shape is what is under
 * test, not something to declare up front.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (response: Response): Promise<any> => response.json();
