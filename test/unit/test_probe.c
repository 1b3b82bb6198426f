/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Probe and device initialization: identification registers, MAC from
 * config space, FAILED on refusal, and the register set each Version uses.
 */
#include <errno.h>
#include <string.h>

#include <rte_ether.h>

#include "test_common.h"

static const uint32_t modern_only_regs[] = {
	VIRTIO_MMIO_QUEUE_READY, VIRTIO_MMIO_QUEUE_DESC_LOW,
	VIRTIO_MMIO_QUEUE_DESC_HIGH, VIRTIO_MMIO_QUEUE_AVAIL_LOW,
	VIRTIO_MMIO_QUEUE_AVAIL_HIGH, VIRTIO_MMIO_QUEUE_USED_LOW,
	VIRTIO_MMIO_QUEUE_USED_HIGH, VIRTIO_MMIO_CONFIG_GENERATION,
};

static const uint32_t legacy_only_regs[] = {
	VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_MMIO_QUEUE_ALIGN,
	VIRTIO_MMIO_QUEUE_PFN,
};

static uint32_t
reg_touches(const struct vmmio_model *m, uint32_t off)
{
	return m->reg_reads[off / 4] + m->reg_writes[off / 4];
}

static uint32_t
all_writes(const struct vmmio_model *m)
{
	uint32_t n = m->cfg_writes;
	unsigned int i;

	for (i = 0; i < RTE_DIM(m->reg_writes); i++)
		n += m->reg_writes[i];
	return n;
}

/* Registers of the other Version are never touched, over a full lifecycle. */
static void
check_version_regs(const struct vmmio_model *m)
{
	unsigned int i;

	CHECK_EQ(m->version_errors, 0);
	if (m->opts.version == VIRTIO_MMIO_VERSION_LEGACY) {
		for (i = 0; i < RTE_DIM(modern_only_regs); i++)
			CHECK_EQ(reg_touches(m, modern_only_regs[i]), 0);
	} else {
		for (i = 0; i < RTE_DIM(legacy_only_regs); i++)
			CHECK_EQ(reg_touches(m, legacy_only_regs[i]), 0);
	}
}

static void
test_probe_ok(void)
{
	static const uint8_t def_mac[6] = MODEL_DEFAULT_MAC;
	struct rte_ether_addr mac;
	struct test_port tp;
	struct vmmio_model *m = &tp.model;

	CHECK_EQ(tp_create(&tp, NULL), 0);
	CHECK_EQ(rte_eth_macaddr_get(tp.port_id, &mac), 0);
	CHECK(memcmp(mac.addr_bytes, def_mac, 6) == 0);
	/* probe identifies, reads and leaves the device reset */
	CHECK(m->reg_reads[VIRTIO_MMIO_MAGIC_VALUE / 4] > 0);
	CHECK(m->reg_reads[VIRTIO_MMIO_VERSION / 4] > 0);
	CHECK(m->reg_reads[VIRTIO_MMIO_DEVICE_ID / 4] > 0);
	CHECK(m->resets > 0);
	CHECK_EQ(m->status, 0);
	CHECK_EQ(m->status_ever & VIRTIO_STATUS_FAILED, 0);
	CHECK_MODEL_CLEAN(m);
	check_version_regs(m);

	tp_setup(&tp, 0, 0);
	tp_start(&tp);
	CHECK_MODEL_CLEAN(m);
	check_version_regs(m);
	if (test_version == VIRTIO_MMIO_VERSION_LEGACY) {
		/* 4.2.4: GuestPageSize, then QueueNum/QueueAlign/QueuePFN */
		CHECK(m->reg_writes[VIRTIO_MMIO_GUEST_PAGE_SIZE / 4] > 0);
		CHECK_EQ(m->guest_page_size, 4096);
		CHECK(m->reg_writes[VIRTIO_MMIO_QUEUE_PFN / 4] >= 2);
		CHECK(m->reg_writes[VIRTIO_MMIO_QUEUE_ALIGN / 4] >= 2);
		CHECK(m->vq[MODEL_RXQ].pfn != 0 && m->vq[MODEL_TXQ].pfn != 0);
	} else {
		CHECK(m->reg_writes[VIRTIO_MMIO_QUEUE_READY / 4] >= 2);
		CHECK(m->vq[MODEL_RXQ].ready && m->vq[MODEL_TXQ].ready);
		CHECK(m->status & VIRTIO_STATUS_FEATURES_OK);
	}
	CHECK(m->vq[MODEL_RXQ].live && m->vq[MODEL_TXQ].live);
	CHECK_EQ(m->vq[MODEL_RXQ].num, 256);
	CHECK_EQ(m->vq[MODEL_TXQ].num, 256);
	CHECK(m->status & VIRTIO_STATUS_ACKNOWLEDGE);
	CHECK(m->status & VIRTIO_STATUS_DRIVER);
	tp_stop(&tp);
	CHECK_EQ(m->status, 0);
	CHECK_MODEL_CLEAN(m);
	check_version_regs(m);
	tp_close(&tp);
}

/* Identification failures: error code, and nothing written to the device. */
static void
probe_refused(uint32_t magic, uint32_t version, uint32_t device_id, int expect)
{
	struct model_opts o;
	struct test_port tp;

	test_opts(&o);
	o.magic = magic;
	if (version != 0)
		o.version = version;
	o.device_id = device_id;
	CHECK_EQ(tp_create(&tp, &o), expect);
	CHECK_EQ(all_writes(&tp.model), 0);
	CHECK(rte_eth_dev_count_avail() == 0);
	tp_close(&tp);
}

static void
test_probe_bad_ids(void)
{
	probe_refused(0x12345678, 0, 0, -ENODEV);	/* wrong MagicValue */
	probe_refused(0, 0, 2, -ENODEV);		/* virtio-block */
	probe_refused(0, 0, 0xffffffff, -ENODEV);
	probe_refused(0, 3, 0, -ENOTSUP);		/* unknown Version */
	/* DeviceID 0: a placeholder window without a device */
	{
		struct test_port tp;

		tp_model(&tp, NULL);
		tp.model.opts.device_id = 0;
		CHECK_EQ(tp_create_port(&tp), -ENODEV);
		CHECK_EQ(all_writes(&tp.model), 0);
		tp_close(&tp);
	}
}

static void
test_probe_mac(void)
{
	static const uint8_t mac_in[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct rte_ether_addr mac;
	struct model_opts o;
	struct test_port tp;

	test_opts(&o);
	memcpy(o.mac, mac_in, 6);
	CHECK_EQ(tp_create(&tp, &o), 0);
	CHECK_EQ(rte_eth_macaddr_get(tp.port_id, &mac), 0);
	CHECK(memcmp(mac.addr_bytes, mac_in, 6) == 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* without VIRTIO_NET_F_MAC: a random locally administered unicast */
	test_opts(&o);
	o.features = VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		(test_version == VIRTIO_MMIO_VERSION_LEGACY ? 0 :
		VIRTIO_BIT(VIRTIO_F_VERSION_1));
	CHECK_EQ(tp_create(&tp, &o), 0);
	CHECK_EQ(rte_eth_macaddr_get(tp.port_id, &mac), 0);
	CHECK(rte_is_valid_assigned_ether_addr(&mac));
	CHECK(rte_is_local_admin_ether_addr(&mac));
	CHECK_EQ(tp.model.cfg_reads, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_probe_mtu(void)
{
	struct rte_eth_dev_info info;
	struct model_opts o;
	struct test_port tp;

	CHECK_EQ(tp_create(&tp, NULL), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK_EQ(info.max_mtu, RTE_ETHER_MTU);
	tp_close(&tp);

	test_opts(&o);
	o.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_MTU) |
		(test_version == VIRTIO_MMIO_VERSION_LEGACY ? 0 :
		VIRTIO_BIT(VIRTIO_F_VERSION_1));
	o.mtu = 9000;
	CHECK_EQ(tp_create(&tp, &o), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK_EQ(info.max_mtu, 9000);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* 5.1.4.1: mtu 60 is out of range: VIRTIO_NET_F_MTU is not used */
	o.mtu = 60;
	CHECK_EQ(tp_create(&tp, &o), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK_EQ(info.max_mtu, RTE_ETHER_MTU);
	tp_setup(&tp, 0, 0);
	tp_start(&tp);
	CHECK(!(tp.model.driver_features & VIRTIO_BIT(VIRTIO_NET_F_MTU)));
	CHECK(tp.model.driver_features & VIRTIO_BIT(VIRTIO_NET_F_MAC));
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* 3.1.1 step 6: the device refuses FEATURES_OK, the driver sets FAILED. */
static void
test_probe_features_refused(void)
{
	struct model_opts o;
	struct test_port tp;

	if (test_version == VIRTIO_MMIO_VERSION_LEGACY)
		return;	/* no FEATURES_OK in legacy */
	test_opts(&o);
	o.refuse_features_ok = true;
	CHECK_EQ(tp_create(&tp, &o), 0);
	tp_setup(&tp, 0, 0);
	CHECK(rte_eth_dev_start(tp.port_id) < 0);
	CHECK(tp.model.status & VIRTIO_STATUS_FAILED);
	CHECK(!(tp.model.status & VIRTIO_STATUS_DRIVER_OK));
	CHECK(!tp.model.vq[MODEL_RXQ].live && !tp.model.vq[MODEL_TXQ].live);
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* DEVICE_NEEDS_RESET right at DRIVER_OK: start fails, nothing leaks. */
static void
test_probe_needs_reset(void)
{
	struct model_opts o;
	struct test_port tp;

	test_opts(&o);
	o.needs_reset_on_driver_ok = true;
	CHECK_EQ(tp_create(&tp, &o), 0);
	tp_setup(&tp, 0, 0);
	CHECK_EQ(rte_eth_dev_start(tp.port_id), -EIO);
	CHECK(tp.model.status_ever & VIRTIO_STATUS_FAILED);
	CHECK_EQ(tp.model.status, 0);	/* reset after the failure */
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Reset never completes: probe gives up (bounded wait) and sets FAILED. */
static void
test_probe_reset_stuck(void)
{
	struct model_opts o;
	struct test_port tp;

	test_opts(&o);
	o.reset_stuck = true;
	CHECK_EQ(tp_create(&tp, &o), -ETIMEDOUT);
	CHECK(tp.model.status_ever & VIRTIO_STATUS_FAILED);
	tp_close(&tp);
}

/* 4.2.2.2: config read retried while ConfigGeneration changes. */
static void
test_probe_config_generation(void)
{
	static const uint8_t def_mac[6] = MODEL_DEFAULT_MAC;
	struct rte_ether_addr mac;
	struct test_port tp;
	uint32_t base;

	if (test_version == VIRTIO_MMIO_VERSION_LEGACY)
		return;	/* no ConfigGeneration in legacy */
	CHECK_EQ(tp_create(&tp, NULL), 0);
	base = tp.model.reg_reads[VIRTIO_MMIO_CONFIG_GENERATION / 4];
	CHECK(base >= 2);
	tp_close(&tp);

	/* the generation changes during the first reads: retried */
	tp_model(&tp, NULL);
	tp.model.cfg_gen_bumps = 3;
	CHECK_EQ(tp_create_port(&tp), 0);
	CHECK_EQ(tp.model.cfg_gen_bumps, 0);
	CHECK(tp.model.reg_reads[VIRTIO_MMIO_CONFIG_GENERATION / 4] >= base + 2);
	CHECK_EQ(rte_eth_macaddr_get(tp.port_id, &mac), 0);
	CHECK(memcmp(mac.addr_bytes, def_mac, 6) == 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* a generation that never settles: bounded retries, probe fails */
	tp_model(&tp, NULL);
	tp.model.cfg_gen_bumps = 100000;
	CHECK_EQ(tp_create_port(&tp), -EAGAIN);
	CHECK(tp.model.status_ever & VIRTIO_STATUS_FAILED);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_probe_ok);
	RUN(test_probe_bad_ids);
	RUN(test_probe_mac);
	RUN(test_probe_mtu);
	RUN(test_probe_features_refused);
	RUN(test_probe_needs_reset);
	RUN(test_probe_config_generation);
	RUN(test_probe_reset_stuck);
	return test_done();
}
