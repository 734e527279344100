/**
 * @duban/attachments: evidence files, content-addressed by SHA-256, behind a port (the filesystem under
 * DATA_DIR/attachments, or an S3-compatible bucket), with the catalog of names, uploaders and pins beside it.
 */
export * from './attachment-store.port';
export * from './attachment-catalog';
export * from './attachment-files';
export * from './fs-attachment-store';
export * from './media-types';
export * from './orphan-sweeper';
