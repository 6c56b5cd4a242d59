// What Traccar server (5.x/6.x) posts to forward.url with JSON forwarding: PositionForwarderJson
// writes PositionData ({position, device}) with Traccar's ObjectMapper, so dates are ISO strings
// with a "+00:00" offset, speed is in knots, accuracy 0 means "not reported", unset strings are
// null, and attributes hold whatever the device protocol decoded (here a Teltonika FMB920).

/** Jackson's StdDateFormat as Traccar configures it: milliseconds and a colon in the offset. */
export const jacksonDate = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

export interface TraccarFix {
  uniqueId: string;
  fixTime: number;
  latitude: number;
  longitude: number;
  /** knots */
  speed?: number;
  course?: number;
  valid?: boolean;
  outdated?: boolean;
  batteryLevel?: number;
}

export function traccarForward(f: TraccarFix) {
  const serverTime = jacksonDate(f.fixTime + 1400);
  return {
    position: {
      id: 1843211,
      attributes: {
        priority: 0,
        sat: 11,
        event: 0,
        ignition: true,
        motion: (f.speed ?? 0) > 0,
        rssi: 4,
        io200: 0,
        io69: 1,
        pdop: 0.8,
        hdop: 0.6,
        power: 27.81,
        battery: 4.06,
        ...(f.batteryLevel !== undefined ? { batteryLevel: f.batteryLevel } : {}),
        operator: 20408,
        odometer: 18377402,
        distance: 412.77,
        totalDistance: 98234511.3,
        hours: 7812340000,
      },
      deviceId: 17,
      protocol: 'teltonika',
      serverTime,
      deviceTime: jacksonDate(f.fixTime),
      fixTime: jacksonDate(f.fixTime),
      outdated: f.outdated ?? false,
      valid: f.valid ?? true,
      latitude: f.latitude,
      longitude: f.longitude,
      altitude: 4.0,
      speed: f.speed ?? 0,
      course: f.course ?? 0,
      address: null,
      accuracy: 0.0,
      network: null,
      geofenceIds: null,
    },
    device: {
      id: 17,
      attributes: {},
      groupId: 0,
      calendarId: 0,
      name: 'Truck 12 (FMB920)',
      uniqueId: f.uniqueId,
      status: 'online',
      lastUpdate: serverTime,
      positionId: 1843210,
      phone: null,
      model: 'FMB920',
      contact: null,
      category: 'truck',
      disabled: false,
      expirationTime: null,
    },
  };
}
