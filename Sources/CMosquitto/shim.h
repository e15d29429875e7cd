#ifndef FLOODWATCH_CMOSQUITTO_SHIM_H
#define FLOODWATCH_CMOSQUITTO_SHIM_H

// The C bridge to libmosquitto (https://mosquitto.org/api/files/mosquitto-h.html).
// Only the MQTT module imports it; everything above that speaks Swift.
#include <mosquitto.h>
#include <mqtt_protocol.h>

#endif
