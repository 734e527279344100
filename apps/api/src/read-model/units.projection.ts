// The unit directory projection is shared with the worker: it lives in @duban/projections.
export * from '@duban/projections/units.projection';
