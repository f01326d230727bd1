const CLIENT_PREFIX = 'client:';

/** The token subject of machine client `id`: `client:<id>`. */
export const clientSubject = (id: string): string => `${CLIENT_PREFIX}${id}`;

export const isClientSubject = (subject: string): boolean => subject.startsWith(CLIENT_PREFIX);
